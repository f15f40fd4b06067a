package archfixture.keyline.adapters.providers;

import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;

/** Planted violation: a provider adapter that takes the host's cloud identity (application-default credentials). */
public final class AmbientCloudIdentity {

    public String token() throws IOException {
        GoogleCredentials host = GoogleCredentials.getApplicationDefault();
        host.refreshIfExpired();
        return host.getAccessToken().getTokenValue();
    }
}
