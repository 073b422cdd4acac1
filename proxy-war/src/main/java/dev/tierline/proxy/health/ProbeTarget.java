package dev.tierline.proxy.health;

import dev.tierline.proxy.config.Backend;
import dev.tierline.proxy.config.ProbeRules;

/** A backend whose cluster probes it: where to send the probe, by what rules, and whose health it counts in. */
public record ProbeTarget(Backend backend, ProbeRules rules, BackendHealth health) {
}
