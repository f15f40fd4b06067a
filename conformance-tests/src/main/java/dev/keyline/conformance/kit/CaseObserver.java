package dev.keyline.conformance.kit;

/** Sends a generated case to the gateway through one of its front doors and gathers what the fakes saw of it. */
interface CaseObserver {

    Observation observe(KitCase kitCase);

    GatewayProfile profile();

    /** @return the case as this door can ask it (a generated case may hold what the door has no words for) */
    default KitCase shape(KitCase generated) {
        return generated;
    }
}
