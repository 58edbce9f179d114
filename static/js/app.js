// Small progressive enhancements, and the idle logoff. Every page works without this file,
// which is one download so that a first visit stays within five requests.
(function () {
  "use strict";

  // After htmx swaps in new content, move focus to its heading so screen readers and
  // keyboard users start reading the new step, not the end of the old one.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (!target) return;
    var heading = target.querySelector("[data-focus-after-swap]");
    if (heading) {
      heading.focus({ preventScroll: false });
    }
  });

  // "Print" buttons print the page; without JavaScript the browser's own menu does it.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
    });
  });
})();

// Automatic logoff, and a clean device after every logout. It does nothing unless someone
// is logged in (the warning dialog is in the page only then).
//
// The server ends a session left unused for longer than the person's limit (common/middleware.py;
// the limit in seconds is on <body data-idle-seconds>). This file shows the same clock: a warning
// a minute before with a "Stay logged in" button, and when time runs out it saves the journal
// draft to the server, wipes this app's storage and submits the logout form, so the screen does
// not stay open on someone's writing. Logging out by hand wipes the storage the same way.
//
// Every key this app keeps in the browser starts "kap:<what>:<user public id>:", so one person's
// keys are never read for another, and all of them go at logout.
(function () {
  "use strict";

  var body = document.body;
  var user = body.dataset.user;
  var limit = Number(body.dataset.idleSeconds) * 1000;
  var dialog = document.getElementById("idle-warning");
  if (!user || !limit || !dialog || !window.fetch) {
    return;
  }
  var keepAliveUrl = body.dataset.keepAliveUrl;
  var logoutUrl = body.dataset.logoutUrl;
  var countdown = dialog.querySelector("[data-idle-countdown]");
  var problem = dialog.querySelector("[data-idle-problem]");
  var stayButton = dialog.querySelector("[data-stay-logged-in]");

  // Warn a minute before (sooner than that only when the whole limit is short, as in tests).
  var lead = Math.min(60000, limit / 2);
  // The server counts from its answer to a request; this page from when it sent it. Ending a
  // few seconds early as well leaves time for the last save to reach a session still alive.
  var margin = Math.min(5000, limit / 10);
  // Tabs of the same person share one clock, so an idle tab never logs out a busy one.
  var contactKey = "kap:idle:" + user + ":last-contact";
  // Loading this page was a request: count from when the browser asked for it (performance.now()
  // is how long this document has been loading; capped, since a page restored from memory or a
  // test's fake clock can make it far longer ago than any request).
  var lastContact = Math.round(Date.now() - Math.min(performance.now(), 10000));
  var lastActivity = 0;
  var sentAt = new WeakMap();
  var timer = null;
  var ending = false;

  function eachKey(store, visit) {
    try {
      for (var i = store.length - 1; i >= 0; i--) {
        visit(store.key(i));
      }
    } catch (error) {
      // Storage disabled (private browsing): nothing kept, nothing to clear.
    }
  }

  // Before keys named their user, the journal copy was "journal:new:..." for everyone.
  function isLegacy(key) {
    return /^journal:(new|edit):/.test(key);
  }

  // Everything this app keeps in the browser: at logout it all goes.
  function wipe() {
    eachKey(localStorage, function (key) {
      if (key.indexOf("kap:") === 0 || isLegacy(key)) {
        localStorage.removeItem(key);
      }
    });
    try {
      sessionStorage.clear();
    } catch (error) {
      // Nothing to clear.
    }
  }

  // Someone else's leftovers (a tab closed without logging out, a browser that ignores
  // Clear-Site-Data) are removed as soon as another person logs in on this device.
  function removeOtherPeoplesKeys() {
    eachKey(localStorage, function (key) {
      var parts = key.split(":");
      if ((parts[0] === "kap" && parts[2] !== user) || isLegacy(key)) {
        localStorage.removeItem(key);
      }
    });
  }

  function csrfToken() {
    try {
      return JSON.parse(body.getAttribute("data-hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function noteContact(at) {
    if (at > lastContact) {
      lastContact = at;
    }
    try {
      localStorage.setItem(contactKey, String(lastContact));
    } catch (error) {
      // This tab keeps its own clock.
    }
  }

  function sharedContact() {
    try {
      var shared = Number(localStorage.getItem(contactKey) || 0);
      if (shared > lastContact) {
        lastContact = shared;
      }
    } catch (error) {
      // This tab keeps its own clock.
    }
  }

  // The words come from the page (base.html's dialog), in the language it speaks.
  function inWords(ms) {
    var seconds = Math.max(1, Math.round(ms / 1000));
    if (seconds >= 55) {
      return dialog.dataset.oneMinute || "1 minute";
    }
    if (seconds === 1) {
      return dialog.dataset.oneSecond || "1 second";
    }
    return (dialog.dataset.seconds || "{seconds} seconds").replace("{seconds}", seconds);
  }

  function warn(left) {
    countdown.textContent = inWords(left);
    if (!dialog.open) {
      dialog.showModal();
      stayButton.focus();
    }
  }

  function unwarn() {
    problem.hidden = true;
    if (dialog.open) {
      dialog.close();
    }
  }

  function check() {
    clearTimeout(timer);
    if (ending) {
      return;
    }
    sharedContact();
    var left = lastContact + limit - margin - Date.now();
    if (left <= 0) {
      end("idle");
    } else if (left > lead) {
      unwarn();
      timer = setTimeout(check, left - lead);
    } else if (lastActivity > lastContact && !dialog.open) {
      // Typing or tapping that the server has not heard of: tell it, instead of warning.
      keepAlive();
    } else {
      warn(left);
      timer = setTimeout(check, Math.min(left, 1000));
    }
  }

  function keepAlive() {
    var at = Date.now();
    return fetch(keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
    }).then(
      function (response) {
        if (response.status === 204) {
          noteContact(at);
          unwarn();
          check();
        } else if (response.status === 401) {
          // The session is over already (the phone slept, or another tab logged out).
          end(null);
        } else {
          failed();
        }
      },
      failed
    );
  }

  // No connection (or a server error): the clock runs on, and the warning says why.
  function failed() {
    lastActivity = 0;
    check();
    if (dialog.open) {
      problem.hidden = false;
    }
  }

  // Whatever is on the page and not yet on the server is saved first (journal-draft.js
  // answers this event with its save), but logging out never waits more than a few seconds.
  function beforeLogout() {
    var waits = [];
    document.dispatchEvent(
      new CustomEvent("kap:before-logout", {
        detail: {
          waitFor: function (promise) {
            waits.push(promise);
          },
        },
      })
    );
    var giveUp = new Promise(function (resolve) {
      setTimeout(resolve, 5000);
    });
    return Promise.race([Promise.all(waits), giveUp]);
  }

  function logoutForm() {
    var form = document.querySelector("form[data-logout-form]");
    if (!form) {
      form = document.createElement("form");
      form.method = "post";
      form.action = logoutUrl;
      form.hidden = true;
      var token = document.createElement("input");
      token.type = "hidden";
      token.name = "csrfmiddlewaretoken";
      token.value = csrfToken();
      form.appendChild(token);
      body.appendChild(form);
    }
    return form;
  }

  function end(reason) {
    if (ending) {
      return;
    }
    ending = true;
    clearTimeout(timer);
    unwarn();
    body.classList.add("is-logging-out");
    beforeLogout().then(function () {
      wipe();
      var form = logoutForm();
      if (reason) {
        var why = document.createElement("input");
        why.type = "hidden";
        why.name = "reason";
        why.value = reason;
        form.appendChild(why);
      }
      HTMLFormElement.prototype.submit.call(form);
    });
  }

  function isLogoutForm(form) {
    try {
      return new URL(form.action, location.href).pathname === logoutUrl;
    } catch (error) {
      return false;
    }
  }

  // "Log out" by hand: save, wipe, then log out.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !isLogoutForm(form)) {
      return;
    }
    if (ending) {
      wipe();
      return;
    }
    event.preventDefault();
    ending = true;
    clearTimeout(timer);
    beforeLogout().then(function () {
      wipe();
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  stayButton.addEventListener("click", function () {
    keepAlive();
  });
  // Escape closes a dialog; whoever pressed it is here, so it means "stay".
  dialog.addEventListener("cancel", function (event) {
    event.preventDefault();
    keepAlive();
  });

  // Activity: every htmx request reaches the server; typing and tapping are noted and told to
  // the server only if the warning would otherwise come.
  body.addEventListener("htmx:beforeSend", function (event) {
    sentAt.set(event.detail.xhr, Date.now());
  });
  body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    // Status 0: it never arrived. 401: the server ended the session (htmx goes to login).
    if (xhr && xhr.status && xhr.status !== 401 && sentAt.has(xhr)) {
      noteContact(sentAt.get(xhr));
      check();
    }
  });
  ["keydown", "input", "pointerdown", "scroll"].forEach(function (name) {
    document.addEventListener(
      name,
      function () {
        lastActivity = Date.now();
      },
      { capture: true, passive: true }
    );
  });

  // A phone waking up, or a tab coming back: timers did not run meanwhile, the wall clock did.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") {
      check();
    }
  });
  window.addEventListener("pageshow", check);
  window.addEventListener("focus", check);
  // Another tab of this person talked to the server, or logged out.
  window.addEventListener("storage", function (event) {
    if (event.key !== contactKey) {
      return;
    }
    if (event.newValue === null && !ending) {
      end(null);
    } else {
      check();
    }
  });

  removeOtherPeoplesKeys();
  noteContact(lastContact);
  check();
})();
