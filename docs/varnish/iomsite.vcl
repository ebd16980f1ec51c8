# Varnish 7 in front of gunicorn, purged by cache tag (vmod xkey, Debian package varnish-modules).
# docs/operations.md ("A cache in front: Varnish") says how to run it; tests/scale/test_varnish.py
# starts a real varnishd with this file (the backend port is replaced there).
vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the app servers (IOMSITE_VARNISH_URLS points at this Varnish).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header required"));
        }
        # A hard purge: a page an unpublish made wrong is never served again, not even in grace.
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|preview|healthz|readyz)") {
        return (pass);
    }
    # Staff, previews, anything session-bound: never from the cache.
    if (req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Anonymous: no other cookie changes a page (a CSRF cookie is set again by the form page).
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # The site says how long a copy may live (to the next scheduled publishing moment) in
    # Surrogate-Control; browsers keep their own shorter max-age.
    if (beresp.http.Surrogate-Control ~ "max-age=[0-9]+") {
        set beresp.ttl = std.duration(regsub(beresp.http.Surrogate-Control, ".*max-age=([0-9]+).*", "\1") + "s", 0s);
        unset beresp.http.Surrogate-Control;
    }
    # No grace: after its time or a purge a page is fetched afresh (the site itself guards
    # against stampedes).
    set beresp.grace = 0s;
    if (!beresp.http.xkey) {
        # Not a page of the site's page cache (errors, private pages): not kept.
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Varnish-Cache = "HIT";
    } else {
        set resp.http.X-Varnish-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
