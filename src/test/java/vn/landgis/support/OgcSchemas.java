package vn.landgis.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.w3c.dom.ls.LSInput;
import org.w3c.dom.ls.LSResourceResolver;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

/**
 * Validates documents against the official OGC schemas of the {@code org.jvnet.ogc:ogc-schemas} artifact, with
 * every {@code http://schemas.opengis.net/...} and W3C location resolved inside that jar: no network.
 */
public final class OgcSchemas {

    private OgcSchemas() {
    }

    /** The schema errors of a document (empty: valid); {@code schema} is a path under schemas.opengis.net, e.g. wms/1.3.0/capabilities_1_3_0.xsd. */
    public static List<String> errors(byte[] document, String schema) {
        return errors(document, schema, null);
    }

    /** The same, with an application schema of our own (a DescribeFeatureType answer) besides the OGC one. */
    public static List<String> errors(byte[] document, String schema, byte[] applicationSchema) {
        try {
            SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            f.setResourceResolver(new Resolver());
            URL main = resource("ogc/" + schema);
            var s = applicationSchema == null ? f.newSchema(main) : f.newSchema(new javax.xml.transform.Source[] {
                new StreamSource(main.toString()),
                new StreamSource(new ByteArrayInputStream(applicationSchema), "urn:landgis:application-schema.xsd")});
            Validator v = s.newValidator();
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            List<String> errors = new ArrayList<>();
            v.setErrorHandler(new ErrorHandler() {
                public void warning(SAXParseException e) {
                }

                public void error(SAXParseException e) {
                    errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
                }

                public void fatalError(SAXParseException e) {
                    errors.add(e.getLineNumber() + ":" + e.getColumnNumber() + " " + e.getMessage());
                }
            });
            v.validate(new StreamSource(new ByteArrayInputStream(document)));
            return errors;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static URL resource(String path) {
        URL u = OgcSchemas.class.getClassLoader().getResource(path);
        if (u == null) {
            throw new IllegalStateException("not in ogc-schemas: " + path);
        }
        return u;
    }

    private static final class Resolver implements LSResourceResolver {
        @Override
        public LSInput resolveResource(String type, String namespace, String publicId, String systemId, String baseUri) {
            if (systemId == null) {
                return null;
            }
            String path = null;
            if (systemId.startsWith("http://schemas.opengis.net/")) {
                path = "ogc/" + systemId.substring("http://schemas.opengis.net/".length());
            } else if (systemId.equals("http://www.w3.org/1999/xlink.xsd")) {
                path = "w3c/1999/xlink.xsd";
            } else if (systemId.equals("http://www.w3.org/2001/xml.xsd")) {
                path = "w3c/2001/xml.xsd";
            }
            if (path == null) {
                return null;
            }
            URL u = OgcSchemas.class.getClassLoader().getResource(path);
            if (u == null) {
                return null;
            }
            return new Input(u.toString());
        }
    }

    private static final class Input implements LSInput {
        private final String systemId;

        Input(String systemId) {
            this.systemId = systemId;
        }

        public Reader getCharacterStream() {
            return null;
        }

        public void setCharacterStream(Reader r) {
        }

        public InputStream getByteStream() {
            try {
                return new URL(systemId).openStream();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        public void setByteStream(InputStream s) {
        }

        public String getStringData() {
            return null;
        }

        public void setStringData(String s) {
        }

        public String getSystemId() {
            return systemId;
        }

        public void setSystemId(String s) {
        }

        public String getPublicId() {
            return null;
        }

        public void setPublicId(String s) {
        }

        public String getBaseURI() {
            return null;
        }

        public void setBaseURI(String s) {
        }

        public String getEncoding() {
            return null;
        }

        public void setEncoding(String s) {
        }

        public boolean getCertifiedText() {
            return false;
        }

        public void setCertifiedText(boolean b) {
        }
    }
}
