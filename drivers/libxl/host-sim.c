/* host-sim.c: being written. */
