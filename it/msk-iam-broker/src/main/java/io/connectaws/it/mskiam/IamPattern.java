package io.connectaws.it.mskiam;

import java.util.regex.Pattern;

/**
 * One {@code Action} or {@code Resource} string of an IAM policy: {@code *} matches any run of characters (slashes
 * included), {@code ?} exactly one, everything else itself. Actions compare without case, resources with case, as
 * IAM does.
 */
final class IamPattern {
    private final String text;
    private final Pattern regex;

    private IamPattern(String text, boolean ignoreCase) {
        this.text = text;
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '*' || c == '?') {
                out.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
                literal.setLength(0);
            } else {
                literal.append(c);
            }
        }
        out.append(Pattern.quote(literal.toString()));
        this.regex = Pattern.compile(out.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }

    /** An action pattern such as {@code kafka-cluster:*Topic*} (case-insensitive). */
    static IamPattern action(String text) {
        return new IamPattern(text, true);
    }

    /** A resource ARN pattern such as {@code arn:aws:kafka:eu-west-1:123456789012:topic/c/*} (case-sensitive). */
    static IamPattern resource(String text) {
        return new IamPattern(text, false);
    }

    boolean matches(String value) {
        return regex.matcher(value).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
