/**
 * The composition root: {@link dev.braid.Main} reads the configuration ({@link dev.braid.BraidConfig}), builds the
 * {@link dev.braid.Components} and starts the server. The only package that names concrete clients; it may import all.
 */
package dev.braid;
