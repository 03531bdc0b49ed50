/**
 * Opaque tokens clients hand back (cursors, recommendation ids), sealed with AES-GCM under rotatable keys, each
 * carrying the one {@link dev.braid.token.TokenKind} header that says which endpoint issued it. A leaf: Imports
 * nothing of Braid's, only the JDK.
 */
package dev.braid.token;
