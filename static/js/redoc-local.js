/* The Redoc page (templates/api/redoc.html) loads nothing from other hosts: Redoc's sidebar
   puts the Redocly logo from cdn.redoc.ly in an <img>, which our policy blocks (a console
   error) and which CSS cannot stop from being fetched. Loaded before Redoc, this keeps any
   image source on another host from being set on this page; the attribution it sits in is
   hidden by css/redoc.css. */
(function () {
  "use strict";

  function foreign(value) {
    try {
      var url = new URL(String(value), document.baseURI);
      return (url.protocol === "http:" || url.protocol === "https:") &&
        url.origin !== window.location.origin;
    } catch (error) {
      return false;
    }
  }

  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (this instanceof HTMLImageElement && String(name).toLowerCase() === "src" &&
        foreign(value)) {
      return undefined;
    }
    return setAttribute.call(this, name, value);
  };

  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      if (!foreign(value)) {
        src.set.call(this, value);
      }
    }
  });
}());
