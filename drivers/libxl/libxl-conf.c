/* libxl-conf.c: being written. */
