package dev.keyline.ports.in;

import dev.keyline.domain.keys.KeyRefusal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Incoming port the front doors use for virtual keys: who is calling, may they, and what did it cost. */
public interface KeyAccessUseCase {

    /**
     * @param presented the key a client sent (not the master key)
     * @return its holder, when it is a virtual key the gateway issued (expired and blocked keys included: admission
     *         says why they are refused)
     */
    Optional<Caller.KeyHolder> authenticate(String presented);

    /**
     * Admits a request to a model group before any upstream is called; the operator always is.
     *
     * @return the admission; {@code Granted.leave} must run when the request is done
     */
    Access admit(Caller caller, String modelGroup);

    /**
     * Accounts a finished request: its cost from every hop's tokens and the searches run, added to the key's and
     * team's counters at once and written to the spend log in the background.
     *
     * @param requestId  the gateway's request id
     * @param modelGroup the group asked for
     * @param deployment the deployment that answered, or {@code none}
     * @param status     the status the client got
     * @param hops       every upstream call
     * @param searches   searches the gateway ran
     */
    void finished(
            Caller caller,
            String requestId,
            String modelGroup,
            String deployment,
            int status,
            List<Hop> hops,
            int searches);

    /** Whether a request may go ahead. */
    sealed interface Access {
        record Granted(Runnable leave) implements Access {
            public Granted {
                Objects.requireNonNull(leave, "'leave' must not be null");
            }
        }

        record Refused(KeyRefusal refusal) implements Access {
            public Refused {
                Objects.requireNonNull(refusal, "'refusal' must not be null");
            }
        }

        Access OPEN = new Granted(() -> {});
    }

    /** For a gateway without virtual keys: nobody but the operator, and nothing to account. */
    KeyAccessUseCase NONE = None.INSTANCE;

    /** Admits everyone as the operator; accounts nothing. */
    enum None implements KeyAccessUseCase {
        INSTANCE;

        @Override
        public Optional<Caller.KeyHolder> authenticate(String presented) {
            return Optional.empty();
        }

        @Override
        public Access admit(Caller caller, String modelGroup) {
            return Access.OPEN;
        }

        @Override
        public void finished(
                Caller caller,
                String requestId,
                String modelGroup,
                String deployment,
                int status,
                List<Hop> hops,
                int searches) {}
    }
}
