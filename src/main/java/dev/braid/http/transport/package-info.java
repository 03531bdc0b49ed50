/**
 * HTTP/1.1 below the routing: which connections a port takes, how many one client may hold, how long a connection may
 * sit idle, send its header section or its body, or leave its answer unread; what Helidon reports as its own error but
 * is the client's doing; whether a listener still takes connections. Wraps Helidon's own HTTP/1.1 connection. Imports
 * {@code config} and Helidon's webserver SPI; nothing of Braid's domain.
 */
package dev.braid.http.transport;
