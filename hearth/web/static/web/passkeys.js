// Security keys and passkeys (WebAuthn): the browser side of hearth/signin/passkeys.py.
// The server sends the options as JSON (binary fields in base64url); this file turns them into the
// ArrayBuffers navigator.credentials expects, and the credential back into JSON for the server to verify.
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    base64 += "===".slice((base64.length + 3) % 4);
    var raw = atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    if (!buffer) return null;
    var bytes = new Uint8Array(buffer);
    var raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function csrfToken(box) {
    var field = box.querySelector("[name=csrfmiddlewaretoken]") || document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(box, url, body, headers) {
    var sent = { "X-CSRFToken": csrfToken(box), "Content-Type": "application/json" };
    Object.keys(headers || {}).forEach(function (name) { sent[name] = headers[name]; });
    return fetch(url, { method: "POST", credentials: "same-origin", headers: sent, body: body || "{}" })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            var error = new Error(data.error || "Something went wrong. Try again.");
            error.redirect = data.redirect;
            throw error;
          }
          return data;
        });
      });
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      return { type: item.type, id: toBytes(item.id), transports: item.transports };
    });
  }

  function say(box, text) {
    var status = box.querySelector("#passkey-status");
    if (status) status.textContent = text;
  }

  function failed(box, error) {
    if (error && error.redirect) { window.location.assign(error.redirect); return; }
    var cancelled = error && (error.name === "NotAllowedError" || error.name === "AbortError");
    say(box, cancelled ? "The security key was not used. Try again when it is ready." : (error && error.message) || "Something went wrong.");
  }

  function signIn(box) {
    say(box, "Follow your browser's prompt to use your security key…");
    post(box, box.dataset.optionsUrl).then(function (options) {
      return navigator.credentials.get({ publicKey: {
        challenge: toBytes(options.challenge),
        timeout: options.timeout,
        rpId: options.rpId,
        allowCredentials: descriptors(options.allowCredentials),
        userVerification: options.userVerification
      } });
    }).then(function (credential) {
      var answer = credential.response;
      return post(box, box.dataset.verifyUrl, JSON.stringify({
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        response: {
          authenticatorData: toText(answer.authenticatorData),
          clientDataJSON: toText(answer.clientDataJSON),
          signature: toText(answer.signature),
          userHandle: toText(answer.userHandle)
        },
        clientExtensionResults: credential.getClientExtensionResults(),
        authenticatorAttachment: credential.authenticatorAttachment
      }));
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) { failed(box, error); });
  }

  function register(box) {
    say(box, "Follow your browser's prompt to add your security key…");
    var nameField = box.querySelector("#passkey-name");
    var name = nameField ? nameField.value : "";
    post(box, box.dataset.optionsUrl).then(function (options) {
      return navigator.credentials.create({ publicKey: {
        rp: options.rp,
        user: { id: toBytes(options.user.id), name: options.user.name, displayName: options.user.displayName },
        challenge: toBytes(options.challenge),
        pubKeyCredParams: options.pubKeyCredParams,
        timeout: options.timeout,
        excludeCredentials: descriptors(options.excludeCredentials),
        authenticatorSelection: options.authenticatorSelection,
        attestation: options.attestation
      } });
    }).then(function (credential) {
      var answer = credential.response;
      return post(box, box.dataset.addUrl, JSON.stringify({
        id: credential.id,
        rawId: toText(credential.rawId),
        type: credential.type,
        response: {
          attestationObject: toText(answer.attestationObject),
          clientDataJSON: toText(answer.clientDataJSON),
          transports: answer.getTransports ? answer.getTransports() : []
        },
        clientExtensionResults: credential.getClientExtensionResults(),
        authenticatorAttachment: credential.authenticatorAttachment
      }), { "X-Passkey-Name": encodeURIComponent(name).slice(0, 180) });
    }).then(function (result) {
      window.location.assign(result.redirect);
    }).catch(function (error) { failed(box, error); });
  }

  document.querySelectorAll("[data-passkey]").forEach(function (button) {
    var box = button.closest("[data-options-url]");
    if (!window.PublicKeyCredential) {
      button.disabled = true;
      say(box, "This browser cannot use security keys here (it needs HTTPS, or localhost).");
      return;
    }
    button.addEventListener("click", function () {
      if (button.dataset.passkey === "get") signIn(box); else register(box);
    });
  });
})();
