/**
 * Implementation of metrics-core that is not API: the series cache, label sanitizing, naming
 * checks, observation checks and failure containment. Types here are public only so the API
 * packages ({@code io.pyairtable.metrics}, {@code io.pyairtable.metrics.catalog}) can share them;
 * they may change in any release and other modules must not import them. No public signature of
 * the API packages mentions a type of this package ({@code InternalPackageTest} checks it), so a
 * user never needs one. Package-private classes in the API packages are implementation too.
 *
 * <pre>{@code
 * // API: what a service uses
 * MetricsCollector metrics = Metrics.initialize("my-service", "1.0.0");
 * // not API: io.pyairtable.metrics.internal.SeriesCache, LabelSanitizer, ...
 * }</pre>
 */
package io.pyairtable.metrics.internal;
