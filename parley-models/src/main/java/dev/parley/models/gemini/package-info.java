/** The Google Gemini {@code generateContent} adapter; its wire mapping is package-private. */
package dev.parley.models.gemini;
