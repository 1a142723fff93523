package dev.parley.privacy.internal;

import dev.parley.privacy.Detector;
import dev.parley.privacy.Finding;
import org.ahocorasick.trie.Trie;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets: provider tokens, JWTs, private-key blocks, webhook URLs, bearer tokens and assigned passwords. One
 * Aho-Corasick pass (linear in the text) finds every keyword of every rule; only the rules whose keywords occur look
 * at the text around them, so plain prose costs one pass.
 */
public final class SecretDetector implements Detector {
    private final List<SecretRule> rules;
    private final Map<String, List<Integer>> rulesByKeyword;
    private final Trie keywords;

    public SecretDetector() {
        this.rules = SecretRules.all();
        Map<String, List<Integer>> byKeyword = new HashMap<>();
        Set<String> all = new LinkedHashSet<>();
        for (int r = 0; r < rules.size(); r++) {
            for (String keyword : rules.get(r).keywords()) {
                byKeyword.computeIfAbsent(keyword, k -> new ArrayList<>()).add(r);
                all.add(keyword);
            }
        }
        this.rulesByKeyword = Map.copyOf(byKeyword);
        this.keywords = Trie.builder().ignoreCase().addKeywords(all).build();
    }

    @Override
    public List<Finding> detect(CharSequence text) {
        List<Finding> out = new ArrayList<>();
        SecretRule.Matcher[] matchers = new SecretRule.Matcher[rules.size()];
        keywords.parseText(text, emit -> {
            for (int r : rulesByKeyword.get(emit.getKeyword())) {
                if (matchers[r] == null) {
                    matchers[r] = rules.get(r).matcher(text);
                }
                Finding finding = matchers[r].at(emit.getStart(), emit.getKeyword());
                if (finding != null) {
                    out.add(finding);
                }
            }
            return true;
        });
        return Findings.resolve(out);
    }
}
