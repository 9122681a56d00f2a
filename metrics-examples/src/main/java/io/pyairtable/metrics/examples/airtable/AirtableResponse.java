package io.pyairtable.metrics.examples.airtable;

/**
 * What the Airtable Web API answered: the status code and the JSON body, passed on to the
 * gateway's caller as they are (Airtable's own error bodies included).
 *
 * <pre>{@code
 * AirtableResponse r = client.send(AirtableCall.get(base, "Tasks", id));
 * if (r.isSuccess()) { ... r.body() ... }
 * }</pre>
 *
 * @param status the HTTP status code
 * @param body the response body (JSON)
 * @param fromCache true when the gateway answered from its response cache
 */
public record AirtableResponse(int status, String body, boolean fromCache) {

  /** True for a 2xx status. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The same response marked as served from the cache. */
  public AirtableResponse cached() {
    return new AirtableResponse(status, body, true);
  }
}
