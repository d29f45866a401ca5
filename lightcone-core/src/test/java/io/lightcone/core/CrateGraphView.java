package io.lightcone.core;

import com.apicatalog.jsonld.JsonLd;
import com.apicatalog.jsonld.JsonLdError;
import com.apicatalog.jsonld.JsonLdErrorCode;
import com.apicatalog.jsonld.JsonLdOptions;
import com.apicatalog.jsonld.document.Document;
import com.apicatalog.jsonld.document.JsonDocument;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An RO-Crate's {@code ro-crate-metadata.json} as the RDF graph a JSON-LD 1.1 processor (Titanium)
 * makes of it: flattened, every term expanded to its IRI, every relative {@code @id} resolved
 * against {@link #BASE}. An undefined term fails the parse, so nothing the crate says is silently
 * dropped. The two remote contexts are served from test resources (no network).
 */
final class CrateGraphView {
  /** Where the crate's root is taken to be, for resolving its relative identifiers. */
  static final URI BASE = URI.create("https://crate.lightcone.invalid/");

  static final String SCHEMA = "http://schema.org/";
  static final String WFRUN = "https://w3id.org/ro/terms/workflow-run#";
  static final String BIOSCHEMAS = "https://bioschemas.org/";
  static final String DCT = "http://purl.org/dc/terms/";

  private static final Map<String, String> CONTEXTS =
      Map.of(
          "https://w3id.org/ro/crate/1.1/context", "jsonld/ro-crate-1.1-context.jsonld",
          "https://w3id.org/ro/terms/workflow-run/context", "jsonld/workflow-run-context.jsonld");

  private final Map<String, JsonObject> nodes = new LinkedHashMap<>();

  private CrateGraphView(JsonArray flattened) {
    for (JsonValue v : flattened) {
      JsonObject node = v.asJsonObject();
      nodes.put(decode(node.getString("@id")), node);
    }
  }

  static CrateGraphView parse(byte[] metadata) throws JsonLdError {
    JsonLdOptions options = new JsonLdOptions(CrateGraphView::load);
    options.setBase(BASE);
    options.setUndefinedTermsPolicy(JsonLdOptions.ProcessingPolicy.Fail);
    JsonStructure flat =
        JsonLd.flatten(JsonDocument.of(new ByteArrayInputStream(metadata))).options(options).get();
    return new CrateGraphView(flat.asJsonArray());
  }

  private static Document load(URI url, com.apicatalog.jsonld.loader.DocumentLoaderOptions o)
      throws JsonLdError {
    String resource = CONTEXTS.get(url.toString());
    if (resource == null) {
      throw new JsonLdError(JsonLdErrorCode.LOADING_REMOTE_CONTEXT_FAILED, "offline: " + url);
    }
    try (InputStream in = CrateGraphView.class.getResourceAsStream(resource)) {
      JsonDocument doc = JsonDocument.of(in);
      doc.setDocumentUrl(url);
      return doc;
    } catch (java.io.IOException e) {
      throw new JsonLdError(JsonLdErrorCode.LOADING_REMOTE_CONTEXT_FAILED, e);
    }
  }

  /**
   * The absolute IRI of a crate-relative path or local identifier. Identifiers are compared as IRIs
   * (RFC 3987 §3.2): percent-encoded UTF-8 decoded, since the processor may give either form.
   */
  static String iri(String relative) {
    return decode(BASE.resolve(relative).toString());
  }

  private static String decode(String iri) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < iri.length(); i++) {
      char c = iri.charAt(i);
      if (c == '%' && i + 2 < iri.length()) {
        out.write(Integer.parseInt(iri.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  Set<String> ids() {
    return nodes.keySet();
  }

  boolean has(String id) {
    return nodes.containsKey(id);
  }

  JsonObject node(String id) {
    JsonObject n = nodes.get(id);
    if (n == null) {
      throw new AssertionError("no node " + id + " in the graph");
    }
    return n;
  }

  Set<String> types(String id) {
    Set<String> types = new TreeSet<>();
    JsonArray t = node(id).getJsonArray("@type");
    if (t != null) {
      t.forEach(v -> types.add(((JsonString) v).getString()));
    }
    return types;
  }

  /** The nodes {@code property} (an IRI) of {@code id} points to. */
  List<String> refs(String id, String property) {
    List<String> out = new ArrayList<>();
    JsonArray values = node(id).getJsonArray(property);
    if (values != null) {
      for (JsonValue v : values) {
        JsonObject o = v.asJsonObject();
        if (o.containsKey("@id")) {
          out.add(decode(o.getString("@id")));
        }
      }
    }
    return out;
  }

  /** The one node {@code property} of {@code id} points to. */
  String ref(String id, String property) {
    List<String> r = refs(id, property);
    if (r.size() != 1) {
      throw new AssertionError(id + " " + property + ": expected one link, got " + r);
    }
    return r.get(0);
  }

  /** The literal values of {@code property}, as strings. */
  List<String> values(String id, String property) {
    List<String> out = new ArrayList<>();
    JsonArray values = node(id).getJsonArray(property);
    if (values != null) {
      for (JsonValue v : values) {
        JsonValue value = v.asJsonObject().get("@value");
        if (value != null) {
          out.add(value instanceof JsonString s ? s.getString() : value.toString());
        }
      }
    }
    return out;
  }

  String value(String id, String property) {
    List<String> v = values(id, property);
    if (v.size() != 1) {
      throw new AssertionError(id + " " + property + ": expected one value, got " + v);
    }
    return v.get(0);
  }

  /** Every node of type {@code type} (an IRI). */
  List<String> ofType(String type) {
    return nodes.keySet().stream().filter(id -> types(id).contains(type)).toList();
  }
}
