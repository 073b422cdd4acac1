package dev.tierline.proxy.config;

import java.util.Optional;

/**
 * Requests whose path starts with {@code path} (on whole segments) and whose Host is {@code host}, when one is
 * given, go to the cluster named {@code cluster}, forwarded as {@code settings} say.
 */
public record RouteConfig(String id, String path, Optional<String> host, String cluster, RouteSettings settings) {
}
