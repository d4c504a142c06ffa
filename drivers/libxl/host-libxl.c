/* host-libxl.c: being written. */
