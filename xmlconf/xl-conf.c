/* xl-conf.c: being written. */
