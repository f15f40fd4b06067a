package dev.keyline.conformance.kit;

/** Sends a generated case to the gateway through one of its front doors and gathers what the fakes saw of it. */
interface CaseObserver {

    Observation observe(KitCase kitCase);

    GatewayProfile profile();
}
