/**
 * The {@code lc} command line: parses arguments, calls the public Lightcone API, renders the
 * result. It holds no logic of its own, so everything it does is also a library call.
 *
 * <pre>{@code
 * $ lc validate samples/period-luminosity
 * valid (0 errors, 0 warnings)
 * }</pre>
 */
package io.lightcone.cli;
