/* capabilities.c: being written. */
