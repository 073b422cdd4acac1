// The login page: says so when the last attempt failed. (Inline scripts are not allowed by the page's policy.)
'use strict';
document.getElementById('failed').hidden = window.location.search !== '?failed';
