// Writing is never lost: a copy of the journal form lives in this device's storage while the
// patient types, and comes back after a reload, a closed tab or a dropped connection. The
// server copy (htmx autosave, see entry_write.html) stays the one the clinic's app trusts;
// this file only fills the gaps the network leaves.
//
// The copy is private to its writer and short-lived: its key names the patient
// ("kap:journal-draft:<user public id>:..."), it is removed as soon as the server confirms it
// saved the same words, and idle.js wipes every "kap:" key at logout, after asking this file
// to save what is still unsaved.
(function () {
  "use strict";

  var form = document.querySelector("form[data-backup-key]");
  if (!form) {
    return;
  }
  var storageKey = form.dataset.backupKey;
  var serverSavedAt = Number(form.dataset.savedAt || 0) * 1000;
  var autosaveUrl = form.dataset.autosaveUrl;
  var skipped = { csrfmiddlewaretoken: true, draft_key: true, intent: true };
  var unsaved = false;
  // Counts changes, so a save confirmed for older words does not remove newer ones.
  var version = 0;
  var sentVersion = -1;
  if (storageKey.indexOf("kap:journal-draft:") !== 0) {
    // A key that does not name its writer would be read by the next person on this device.
    return;
  }

  function read() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || skipped[field.name] || field.type === "submit" || field.type === "button") {
        return;
      }
      if (field.type === "checkbox") {
        values[field.name] = values[field.name] || [];
        if (field.checked) {
          values[field.name].push(field.value);
        }
      } else if (field.type === "radio") {
        if (field.checked) {
          values[field.name] = field.value;
        }
      } else {
        values[field.name] = field.value;
      }
    });
    return values;
  }

  function write(values) {
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || !(field.name in values) || skipped[field.name]) {
        return;
      }
      var value = values[field.name];
      if (field.type === "checkbox") {
        field.checked = Array.isArray(value) && value.indexOf(field.value) !== -1;
      } else if (field.type === "radio") {
        field.checked = field.value === value;
      } else if (field.type !== "submit" && field.type !== "button") {
        field.value = value;
      }
    });
  }

  function forget() {
    try {
      localStorage.removeItem(storageKey);
    } catch (error) {
      // Nothing to clear.
    }
  }

  function keep() {
    unsaved = true;
    version += 1;
    try {
      localStorage.setItem(storageKey, JSON.stringify({ savedAt: Date.now(), values: read() }));
    } catch (error) {
      // Storage full or disabled (private browsing): the server autosave still runs.
    }
  }

  function restore() {
    var kept;
    try {
      kept = JSON.parse(localStorage.getItem(storageKey) || "null");
    } catch (error) {
      kept = null;
    }
    if (!kept || !kept.values || kept.savedAt <= serverSavedAt) {
      // The server's copy is as new: this one has done its job.
      forget();
      return;
    }
    if (JSON.stringify(kept.values) === JSON.stringify(read())) {
      forget();
      return;
    }
    write(kept.values);
    unsaved = true;
    var notice = document.getElementById("draft-restored");
    if (notice) {
      notice.hidden = false;
    }
    if (window.htmx && autosaveUrl) {
      window.htmx.trigger(form, "journal:save-now");
    }
  }

  function say(text) {
    var status = document.getElementById("draft-status");
    if (status) {
      status.textContent = text;
    }
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", forget);

  // A save that did not reach the server is tried again on its own: after 2 s, then 4, 8...
  // up to every 30 s, and at once when the device says it is back online. Waiting for the next
  // keystroke is not enough: a patient who stops writing right after a dropped request would
  // otherwise leave with their last words only on this device.
  var retryDelay = 0;
  var retryTimer = null;
  function saveNow() {
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (unsaved && window.htmx && autosaveUrl) {
      window.htmx.trigger(form, "journal:save-now");
    }
  }
  function retrySoon() {
    if (retryTimer || !autosaveUrl) {
      return;
    }
    retryDelay = retryDelay ? Math.min(retryDelay * 2, 30000) : 2000;
    retryTimer = setTimeout(saveNow, retryDelay);
  }

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === form) {
      sentVersion = version;
    }
  });
  // Saved on the server (2xx; a 422 kept only the words): the device copy goes, unless the
  // patient typed more meanwhile. Typing again writes it again.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (event.detail.elt !== form || !event.detail.successful || !xhr || xhr.status >= 300) {
      return;
    }
    retryDelay = 0;
    if (sentVersion === version) {
      unsaved = false;
      forget();
    }
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt === form) {
      say(form.dataset.offlineMessage || "Not saved yet: no connection. What you write stays on this device and saves when you are back online.");
      retrySoon();
    }
  });
  // The server answered with an error of its own (a restart, an overload): try again too.
  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (event.detail.elt === form && xhr && xhr.status >= 500) {
      say(form.dataset.serverErrorMessage || "Not saved yet: the clinic did not answer. What you write stays on this device and we will try again.");
      retrySoon();
    }
  });
  window.addEventListener("online", saveNow);
  // Leaving the page or switching apps before the pause is over: send what is there now.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "hidden" || !unsaved || !autosaveUrl || !navigator.sendBeacon) {
      return;
    }
    var data = new FormData(form);
    data.set("intent", "autosave");
    navigator.sendBeacon(autosaveUrl, data);
  });

  // Logging out, by hand or because time ran out (idle.js): save what the server lacks first.
  document.addEventListener("kap:before-logout", function (event) {
    if (!unsaved || !autosaveUrl) {
      return;
    }
    var data = new FormData(form);
    data.set("intent", "autosave");
    event.detail.waitFor(
      fetch(autosaveUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "HX-Request": "true" },
      }).then(
        function (response) {
          if (response.ok) {
            unsaved = false;
            forget();
          }
        },
        function () {
          // No connection: idle.js logs out all the same; privacy comes first on a shared device.
        }
      )
    );
  });

  restore();
})();
