/**
 * Signed opaque tokens (search, feed and recommendation cursors): an HMAC tag over a payload, one canonical spelling,
 * and the one exception for a token that cannot be honoured. Imports nothing of Braid.
 */
package dev.braid.token;
