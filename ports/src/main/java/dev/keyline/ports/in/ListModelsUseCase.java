package dev.keyline.ports.in;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Use case: tell clients which models they may ask for: the gateway's model groups, and nothing about deployments. */
public interface ListModelsUseCase {

    /** One model a client may name. @param createdAt when the gateway started serving it */
    record Model(String id, Instant createdAt) {
        public Model {
            Objects.requireNonNull(id, "'id' must not be null");
            Objects.requireNonNull(createdAt, "'createdAt' must not be null");
        }
    }

    /** @return every model group, by name */
    List<Model> models();
}
