package vn.landgis.ows;

import java.io.IOException;
import java.io.InputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * Parses request bodies: namespace aware, no DOCTYPE (so no external entity, no entity expansion bomb), no
 * XInclude, secure processing on, at most {@link #MAX_BYTES}. Anything else is refused before it is read.
 */
final class SecureXml {

    static final int MAX_BYTES = 16 * 1024 * 1024;

    private SecureXml() {
    }

    static Document parse(InputStream in) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw new OwsException("OperationParsingFailed", "request", "Yêu cầu quá lớn / request body over 16 MB");
            }
            return b.parse(new java.io.ByteArrayInputStream(body));
        } catch (SAXException e) {
            throw new OwsException("OperationParsingFailed", "request", "XML không đọc được / unreadable XML: "
                    + KvpRequest.shorten(String.valueOf(e.getMessage())));
        } catch (ParserConfigurationException | IOException e) {
            throw new OwsException("OperationParsingFailed", "request", "XML không đọc được / unreadable XML");
        }
    }
}
