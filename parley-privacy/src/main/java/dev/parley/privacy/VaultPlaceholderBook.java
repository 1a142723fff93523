package dev.parley.privacy;

import dev.parley.InvalidInputException;
import dev.parley.privacy.internal.Placeholders;
import dev.parley.privacy.internal.VaultCipher;
import dev.parley.store.VaultRow;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A session's {@link PlaceholderBook} kept in its store's vault: one row per placeholder, {@code (placeholder,
 * lookup = HMAC(session key, type ‖ normalised value), ciphertext = AES-GCM(session key, original))}. Loaded from the
 * vault as it was when a turn started; rows are opened only when a placeholder must be restored. What the book issues
 * (and the placeholder-shaped literals it reserves, kept as rows too so the next turn never issues them) is collected
 * in {@link #newRows()}, which the turn writes with its append: the store refuses a row whose placeholder or lookup
 * another turn wrote first, so two turns can never give one placeholder two meanings.
 *
 * <p>A row that was altered, moved to another placeholder or sealed under another key is a {@link VaultException},
 * never a wrong restore. Thread-safe. Obtain one with {@link SessionPrivacy#book}.
 */
public final class VaultPlaceholderBook implements PlaceholderBook {
    private final String sessionName;
    private final Supplier<VaultCipher> cipherSource;
    private VaultCipher cipher;
    private final Map<String, VaultRow> rows = new HashMap<>();
    private final Map<String, String> placeholderByLookup = new HashMap<>();
    private final Set<String> reservations = new HashSet<>();
    private final Map<String, VaultCipher.Content> opened = new HashMap<>();
    private final Map<String, Long> highest = new HashMap<>();
    private final List<VaultRow> issued = new ArrayList<>();
    private int longest;

    /**
     * @param cipher       the session's cipher, or null when the session has no data key yet
     * @param cipherSource creates the session's data key on first need (a write to the store)
     */
    VaultPlaceholderBook(String sessionName, List<VaultRow> loaded, VaultCipher cipher, Supplier<VaultCipher> cipherSource) {
        this.sessionName = sessionName;
        this.cipher = cipher;
        this.cipherSource = cipherSource;
        if (!loaded.isEmpty() && cipher == null) {
            throw new VaultException(sessionName + " has " + loaded.size() + " vault rows but no data key to open them");
        }
        for (VaultRow row : loaded) {
            String placeholder = row.placeholder();
            if (!Placeholders.isPlaceholder(placeholder) || rows.containsKey(placeholder)
                    || placeholderByLookup.containsKey(row.lookup())) {
                throw new VaultException("vault row '" + placeholder + "' of " + sessionName
                        + " is not a placeholder Parley issues, or is not unique: the vault was altered");
            }
            boolean reservation = row.lookup().equals(cipher.reservationLookup(placeholder));
            if (!reservation && Placeholders.indexOf(placeholder) <= 0) {
                throw new VaultException("vault row '" + placeholder + "' of " + sessionName + " has no valid index: the vault was altered");
            }
            record(row, reservation);
        }
    }

    @Override
    public synchronized Issue placeholderFor(String type, String key, String original) {
        EntityType.requireValid(type);
        if (key == null || original == null) {
            throw new InvalidInputException("value", "the key and the original of a placeholder must not be null");
        }
        VaultCipher c = cipher();
        String lookup = c.lookup(type, key);
        String existing = placeholderByLookup.get(lookup);
        if (existing != null) {
            VaultCipher.Content content = open(existing);
            if (content.reservation() || !key.equals(content.key()) || !type.equals(Placeholders.typeOf(existing))) {
                throw new VaultException("vault row " + existing + " of " + sessionName
                        + " does not hold the value its lookup names: the vault was altered");
            }
            return new Issue(new Mapping(existing, type, key, content.original()), false);
        }
        long index = highest.getOrDefault(type, 0L) + 1;
        String placeholder = Placeholders.format(type, index);
        while (rows.containsKey(placeholder)) {
            placeholder = Placeholders.format(type, ++index);
        }
        VaultRow row = c.sealMapping(placeholder, lookup, key, original);
        record(row, false);
        opened.put(placeholder, new VaultCipher.Content(false, key, original));
        issued.add(row);
        return new Issue(new Mapping(placeholder, type, key, original), true);
    }

    @Override
    public synchronized Optional<String> originalOf(String placeholder) {
        if (!rows.containsKey(placeholder) || reservations.contains(placeholder)) {
            return Optional.empty();
        }
        return Optional.of(open(placeholder).original());
    }

    @Override
    public synchronized boolean reserve(String placeholder) {
        if (placeholder == null || !Placeholders.isPlaceholder(placeholder)) {
            throw new InvalidInputException("placeholder", "only placeholder-shaped text <TYPE_n> can be reserved, got '" + placeholder + "'");
        }
        if (rows.containsKey(placeholder)) {
            return false;
        }
        VaultRow row = cipher().sealReservation(placeholder);
        record(row, true);
        issued.add(row);
        return true;
    }

    @Override
    public synchronized int longestPlaceholderLength() {
        return longest;
    }

    /** The rows this book issued or reserved since it was loaded, in order: what the turn's append must write. */
    public synchronized List<VaultRow> newRows() {
        return List.copyOf(issued);
    }

    /** Every mapping of the session, opening every row. */
    public synchronized List<Mapping> mappings() {
        List<Mapping> mappings = new ArrayList<>();
        for (String placeholder : rows.keySet()) {
            mapping(placeholder).ifPresent(mappings::add);
        }
        mappings.sort(java.util.Comparator.comparing(Mapping::type).thenComparingLong(Mapping::index));
        return mappings;
    }

    /** The placeholder-shaped literals the session reserved. */
    public synchronized Set<String> reserved() {
        return Set.copyOf(reservations);
    }

    /** The mapping of an issued placeholder; empty for reserved and unknown ones. */
    synchronized Optional<Mapping> mapping(String placeholder) {
        if (!rows.containsKey(placeholder) || reservations.contains(placeholder)) {
            return Optional.empty();
        }
        VaultCipher.Content content = open(placeholder);
        return Optional.of(new Mapping(placeholder, Placeholders.typeOf(placeholder), content.key(), content.original()));
    }

    /** Whether the book has a row (a mapping or a reservation) for {@code placeholder}. */
    synchronized boolean holds(String placeholder) {
        return rows.containsKey(placeholder);
    }

    synchronized boolean isReserved(String placeholder) {
        return reservations.contains(placeholder);
    }

    private VaultCipher cipher() {
        if (cipher == null) {
            cipher = cipherSource.get();
        }
        return cipher;
    }

    private VaultCipher.Content open(String placeholder) {
        VaultCipher.Content content = opened.get(placeholder);
        if (content == null) {
            content = cipher.open(rows.get(placeholder));
            if (content.reservation()) {
                throw new VaultException("vault row " + placeholder + " of " + sessionName
                        + " is a reserved literal under a value's lookup: the vault was altered");
            }
            opened.put(placeholder, content);
        }
        return content;
    }

    private void record(VaultRow row, boolean reservation) {
        rows.put(row.placeholder(), row);
        placeholderByLookup.put(row.lookup(), row.placeholder());
        if (reservation) {
            reservations.add(row.placeholder());
        } else {
            highest.merge(Placeholders.typeOf(row.placeholder()), Placeholders.indexOf(row.placeholder()), Math::max);
            longest = Math.max(longest, row.placeholder().length());
        }
    }

    @Override
    public String toString() {
        return "VaultPlaceholderBook[" + sessionName + ", " + rows.size() + " rows]";
    }
}
