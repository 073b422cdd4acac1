package dev.tierline.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Response;
import org.junit.jupiter.api.Test;

class WebTierHttp11NioProtocolTest {

    @Test
    void responses_getTheConfiguredBufferSize() {
        Connector connector = new Connector(WebTierHttp11NioProtocol.class.getName());
        // As server.xml's Digester sets it: by attribute name, on the protocol.
        connector.setProperty("responseBufferSize", "2048");

        Response response = connector.createResponse(new org.apache.coyote.Response());

        assertEquals(2048, response.getBufferSize());
    }

    @Test
    void byDefault_responsesKeepTomcatsBufferSize() {
        Connector connector = new Connector(WebTierHttp11NioProtocol.class.getName());

        assertEquals(WebTierHttp11NioProtocol.TOMCAT_DEFAULT,
                connector.createResponse(new org.apache.coyote.Response()).getBufferSize());
        assertEquals(new Connector("HTTP/1.1").createResponse(new org.apache.coyote.Response()).getBufferSize(),
                WebTierHttp11NioProtocol.TOMCAT_DEFAULT);
    }

    @Test
    void aTinyBuffer_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new WebTierHttp11NioProtocol().setResponseBufferSize(16));
    }
}
