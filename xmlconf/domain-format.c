/* domain-format.c: being written. */
