/** The Anthropic Messages adapter; its wire mapping is package-private. */
package dev.parley.models.anthropic;
