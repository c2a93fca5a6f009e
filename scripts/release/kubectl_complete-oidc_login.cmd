@echo off
rem kubectl (1.26+) runs kubectl_complete-oidc_login with the words after "kubectl oidc-login"
rem to complete them; the plugin it found on PATH answers (kubelogin __complete).
kubectl-oidc_login __complete %*
