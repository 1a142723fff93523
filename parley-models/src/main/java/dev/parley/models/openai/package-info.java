/** The OpenAI Chat Completions adapter (also for vLLM, Ollama's /v1, LM Studio, Groq …); its wire mapping is package-private. */
package dev.parley.models.openai;
