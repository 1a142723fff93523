/**
 * Machinery shared by the adapters (HTTP transport with timeouts and retries, server-sent events and JSON-lines
 * streams, retry-after headers, key redaction, builder settings, and for providers without tool-call ids the
 * generated ids and the lookup of each result's function name). Not an API: it may change in any release.
 */
package dev.parley.models.internal;
