/* domain-parse.c: being written. */
