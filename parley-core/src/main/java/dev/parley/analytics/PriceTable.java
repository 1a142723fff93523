package dev.parley.analytics;

import dev.parley.InvalidInputException;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prices per million tokens by model, for cost figures. Configure your own: prices change and
 * differ by contract. A model without a price contributes no cost (and is listed as unpriced).
 */
public final class PriceTable {
    /** Input and output price in a currency unit per million tokens. */
    public record Price(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
        public Price {
            if (inputPerMillion.signum() < 0 || outputPerMillion.signum() < 0) {
                throw new InvalidInputException("price", "prices must not be negative");
            }
        }
    }

    private final Map<String, Price> prices = new TreeMap<>();

    public static PriceTable empty() {
        return new PriceTable();
    }

    public PriceTable price(String model, String inputPerMillion, String outputPerMillion) {
        prices.put(model.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "_"),
                new Price(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion)));
        return this;
    }

    Price lookup(String counterModelKey) {
        return prices.get(counterModelKey);
    }
}
