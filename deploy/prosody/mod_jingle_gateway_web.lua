-- Serves the built web client (dist/client) from Prosody 0.12 with the security headers it needs.
--
-- Prosody 0.12's mod_http_files cannot add response headers (no such option), so this module serves
-- the files the same way (net.http.files) and sets Content-Security-Policy, X-Content-Type-Options
-- and Referrer-Policy first. Install: copy this file into a directory listed in plugin_paths, then
--
--   plugin_paths = { "/opt/jingle-gateway/deploy/prosody" }
--   modules_enabled = { ...; "jingle_gateway_web" }        -- on the VirtualHost of your users
--   jingle_gateway_web_dir = "/opt/jingle-gateway/dist/client"
--   -- optional: http_paths = { jingle_gateway_web = "/call" }   (default /call)
--   -- optional: jingle_gateway_web_csp = "..."                (the whole policy, to add origins)
--
-- The page is then https://example.com:5281/call/ and its WebSocket wss://example.com:5281/xmpp-websocket
-- is on the same origin ('self'). The default policy also lets the login read the XEP-0156 host-meta
-- of this host (https://<host>/.well-known/host-meta).

local serve = require "net.http.files".serve;

local dir = module:get_option_path("jingle_gateway_web_dir", nil, "config");
if not dir then
	module:log("error", "jingle_gateway_web_dir is not set: it must name the built client (dist/client)");
	return;
end

local default_csp = table.concat({
	"default-src 'self'";
	"script-src 'self'";
	"style-src 'self'";
	"connect-src 'self' https://" .. module.host;
	"img-src 'self' data: blob:";
	"media-src 'self' blob:";
	"object-src 'none'";
	"base-uri 'none'";
	"form-action 'self'";
	"frame-ancestors 'none'";
}, "; ");
local csp = module:get_option_string("jingle_gateway_web_csp", default_csp);

-- Module scripts are refused without a JavaScript type, and nosniff makes every type count.
local types = {
	html = "text/html; charset=utf-8"; js = "text/javascript"; css = "text/css"; map = "application/json";
	json = "application/json"; svg = "image/svg+xml"; png = "image/png"; ico = "image/x-icon"; txt = "text/plain";
};

local files = serve({ path = dir; mime_map = types; index_files = { "index.html" } });

module:depends("http");
module:provides("http", {
	default_path = "/call";
	route = {
		["GET /*"] = function (event, path)
			local headers = event.response.headers;
			headers.content_security_policy = csp;
			headers.x_content_type_options = "nosniff";
			headers.referrer_policy = "no-referrer";
			return files(event, path);
		end;
	};
});
