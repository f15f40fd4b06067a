package archfixture.keyline.domain;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Violation: a domain type that uses Jackson. */
public class JsonAwareDomainType {
    public String toJson(ObjectMapper mapper) throws Exception {
        return mapper.writeValueAsString(this);
    }
}
