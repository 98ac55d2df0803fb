package io.allsource.ingest.views.query;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Stream ids and tenants in URL paths: any text, percent-encoded as one segment (a '/' becomes %2F). */
final class PathSegments {

    private PathSegments() {
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String decode(String rawSegment) {
        return URLDecoder.decode(rawSegment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
