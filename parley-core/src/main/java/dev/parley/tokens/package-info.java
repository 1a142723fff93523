/**
 * Token counting: the {@link dev.parley.tokens.Tokenizer} SPI, exact OpenAI encodings and an estimator
 * for other families ({@link dev.parley.tokens.Tokenizers}), whole-message counts with provider framing
 * ({@link dev.parley.tokens.MessageTokens}), the per-entry count cache and the estimator's calibration.
 */
package dev.parley.tokens;
