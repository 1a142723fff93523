/**
 * Machinery behind {@link dev.parley.privacy.Detectors} and the sanitiser: the built-in detectors, their prefilters
 * and validation rules. Not API: use the factories in {@link dev.parley.privacy.Detectors}; anything here may change
 * without notice.
 */
package dev.parley.privacy.internal;
