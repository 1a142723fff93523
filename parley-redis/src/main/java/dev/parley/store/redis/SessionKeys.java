package dev.parley.store.redis;

/**
 * The keys of one session, all under the hash tag {@code {t:<tenant>:s:<id>}}, so one Lua script can
 * read or change any of them atomically, on one node of a cluster.
 *
 * @param base the common part, ending in the hash tag
 */
record SessionKeys(String base) {

    /** The session row (a hash of the {@link dev.parley.domain.SessionInfo} fields, plus uid and version). */
    String info() {
        return base + ":info";
    }

    /** Branch name → head seq ({@code ""} for an empty branch). */
    String branches() {
        return base + ":branches";
    }

    /** Seq → entry JSON. */
    String entries() {
        return base + ":entries";
    }

    /** Seq → parent seq, so a script walks a path without parsing entries. */
    String parents() {
        return base + ":parents";
    }

    /** Checkpoint name → checkpoint JSON. */
    String checkpoints() {
        return base + ":checkpoints";
    }

    /** Checkpoint names scored by creation order. */
    String checkpointOrder() {
        return base + ":checkpoint-order";
    }

    /** Entry seq → how many checkpoints mark it. */
    String checkpointMarks() {
        return base + ":checkpoint-marks";
    }

    /** Placeholder → vault row JSON. */
    String vault() {
        return base + ":vault";
    }

    /** Lookup hash → placeholder, for uniqueness of values. */
    String vaultLookups() {
        return base + ":vault-lookups";
    }

    /** Placeholders in the order they were issued. */
    String vaultOrder() {
        return base + ":vault-order";
    }

    /** Idempotency key → record JSON. */
    String idempotency() {
        return base + ":idempotency";
    }

    /** Idempotency keys scored by their record's time, so old records can be pruned. */
    String idempotencyTimes() {
        return base + ":idempotency-times";
    }

    /** Counter name → value. */
    String counters() {
        return base + ":counters";
    }

    /** Every key, in the order the write and delete scripts expect. */
    String[] all() {
        return new String[]{info(), branches(), entries(), parents(), checkpoints(), checkpointOrder(), checkpointMarks(),
                vault(), vaultLookups(), vaultOrder(), idempotency(), idempotencyTimes(), counters()};
    }
}
