/**
 * Machinery shared by the adapters (HTTP transport with timeouts and retries, server-sent events, retry-after
 * headers, key redaction, builder settings). Not an API: it may change in any release.
 */
package dev.parley.models.internal;
