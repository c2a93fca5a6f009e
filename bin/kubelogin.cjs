#!/usr/bin/env node
'use strict';
require('../dist/kubelogin.cjs').run();
