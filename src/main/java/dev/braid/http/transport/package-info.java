/**
 * HTTP/1.1 below the routing: which connections the API port takes, how many one client may hold, and how long a
 * connection may sit idle, send its header section or its body. Wraps Helidon's own HTTP/1.1 connection; imports
 * Helidon's webserver SPI and {@code config}, nothing of Braid's domain.
 */
package dev.braid.http.transport;
