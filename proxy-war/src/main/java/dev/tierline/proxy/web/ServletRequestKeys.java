package dev.tierline.proxy.web;

import dev.tierline.proxy.balance.RequestKeys;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;

/** A servlet request as a cluster keys it. */
record ServletRequestKeys(HttpServletRequest request) implements RequestKeys {

    @Override
    public String clientAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }
}
