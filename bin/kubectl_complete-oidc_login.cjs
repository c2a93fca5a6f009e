#!/usr/bin/env node
'use strict';
// kubectl (1.26+) runs kubectl_complete-oidc_login with the words after `kubectl oidc-login` to complete them.
require('../dist/kubelogin.cjs').runKubectlCompletion();
