/* domain-conf.c: being written. */
