/** The Ollama native {@code /api/chat} adapter; its wire mapping is package-private. */
package dev.parley.models.ollama;
