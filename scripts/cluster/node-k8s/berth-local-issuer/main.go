// berth-local-issuer stands in for cert-manager's controller in the local cluster only.
// cert-manager's CRDs and a CA ClusterIssuer are installed as in production, but its
// controller binary is not buildable here (its cmd/ modules are not on the Go module
// proxy and the rest is internal). This does what ingress-shim plus the CA issuer do for
// Berth's Ingresses: for an Ingress annotated cert-manager.io/cluster-issuer=<issuer>,
// each spec.tls entry gets a Certificate (cert-manager.io/v1, status Ready) and its
// kubernetes.io/tls Secret, signed by the CA in the ClusterIssuer's spec.ca.secretName.
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"fmt"
	"math/big"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	netv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/klog/v2"
)

const annIssuer = "cert-manager.io/cluster-issuer"

var (
	certGVR   = schema.GroupVersionResource{Group: "cert-manager.io", Version: "v1", Resource: "certificates"}
	issuerGVR = schema.GroupVersionResource{Group: "cert-manager.io", Version: "v1", Resource: "clusterissuers"}
)

type issuer struct {
	kube       kubernetes.Interface
	dyn        dynamic.Interface
	name       string
	caNS       string
	lister     func(ns, name string) (*netv1.Ingress, error)
	validity   time.Duration
	renewAfter time.Duration
}

func main() {
	klog.InitFlags(nil)
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig file")
	name := flag.String("issuer", "berth-local-ca", "ClusterIssuer (CA kind) whose Ingresses this serves")
	caNS := flag.String("cluster-resource-namespace", "cert-manager", "namespace of the ClusterIssuer's CA secret")
	flag.Parse()
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.Fatalf("kubeconfig: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	is := &issuer{kube: kubernetes.NewForConfigOrDie(cfg), dyn: dynamic.NewForConfigOrDie(cfg), name: *name, caNS: *caNS,
		validity: 90 * 24 * time.Hour, renewAfter: 60 * 24 * time.Hour}

	factory := informers.NewSharedInformerFactory(is.kube, 10*time.Minute)
	inf := factory.Networking().V1().Ingresses()
	queue := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[string]())
	enqueue := func(obj any) {
		if key, err := cache.MetaNamespaceKeyFunc(obj); err == nil {
			queue.Add(key)
		}
	}
	if _, err := inf.Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: enqueue, UpdateFunc: func(_, o any) { enqueue(o) },
	}); err != nil {
		klog.Fatal(err)
	}
	is.lister = func(ns, n string) (*netv1.Ingress, error) { return inf.Lister().Ingresses(ns).Get(n) }
	factory.Start(ctx.Done())
	factory.WaitForCacheSync(ctx.Done())
	klog.Infof("berth-local-issuer: serving Ingresses annotated %s=%s", annIssuer, is.name)
	go func() { <-ctx.Done(); queue.ShutDown() }()
	for {
		key, quit := queue.Get()
		if quit {
			return
		}
		if err := is.sync(ctx, key); err != nil {
			klog.Errorf("%s: %v", key, err)
			queue.AddRateLimited(key)
		} else {
			queue.Forget(key)
		}
		queue.Done(key)
	}
}

func (is *issuer) sync(ctx context.Context, key string) error {
	ns, name, _ := cache.SplitMetaNamespaceKey(key)
	ing, err := is.lister(ns, name)
	if apierrors.IsNotFound(err) {
		return nil // its Certificates and Secrets are owned by it: garbage-collected
	} else if err != nil {
		return err
	}
	if ing.Annotations[annIssuer] != is.name || ing.DeletionTimestamp != nil {
		return nil
	}
	ca, caKey, err := is.loadCA(ctx)
	if err != nil {
		return err
	}
	for _, t := range ing.Spec.TLS {
		if t.SecretName == "" || len(t.Hosts) == 0 {
			continue
		}
		if err := is.ensure(ctx, ing, t, ca, caKey); err != nil {
			return fmt.Errorf("secret %s: %w", t.SecretName, err)
		}
	}
	return nil
}

// loadCA reads the ClusterIssuer's spec.ca.secretName (tls.crt / tls.key).
func (is *issuer) loadCA(ctx context.Context) (*x509.Certificate, any, error) {
	ci, err := is.dyn.Resource(issuerGVR).Get(ctx, is.name, metav1.GetOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("ClusterIssuer %s: %w", is.name, err)
	}
	secretName, _, _ := unstructured.NestedString(ci.Object, "spec", "ca", "secretName")
	s, err := is.kube.CoreV1().Secrets(is.caNS).Get(ctx, secretName, metav1.GetOptions{})
	if err != nil {
		return nil, nil, fmt.Errorf("CA secret %s/%s: %w", is.caNS, secretName, err)
	}
	pair, err := tls.X509KeyPair(s.Data["tls.crt"], s.Data["tls.key"])
	if err != nil {
		return nil, nil, err
	}
	ca, err := x509.ParseCertificate(pair.Certificate[0])
	return ca, pair.PrivateKey, err
}

func (is *issuer) ensure(ctx context.Context, ing *netv1.Ingress, t netv1.IngressTLS, ca *x509.Certificate, caKey any) error {
	owner := []metav1.OwnerReference{*metav1.NewControllerRef(ing, netv1.SchemeGroupVersion.WithKind("Ingress"))}
	hosts := slices.Sorted(slices.Values(t.Hosts))
	secrets := is.kube.CoreV1().Secrets(ing.Namespace)
	cur, err := secrets.Get(ctx, t.SecretName, metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return err
	}
	exists := err == nil
	var notAfter time.Time
	if exists && is.current(cur, hosts, ca) {
		notAfter = leafNotAfter(cur)
	} else {
		certPEM, keyPEM, na, err := is.sign(hosts, ca, caKey)
		if err != nil {
			return err
		}
		notAfter = na
		s := &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: t.SecretName, Namespace: ing.Namespace, OwnerReferences: owner,
				Labels: map[string]string{"controller.cert-manager.io/fao": "true"},
				Annotations: map[string]string{"cert-manager.io/issuer-name": is.name, "cert-manager.io/issuer-kind": "ClusterIssuer",
					"cert-manager.io/issuer-group": "cert-manager.io", "cert-manager.io/alt-names": strings.Join(hosts, ","),
					"cert-manager.io/common-name": hosts[0], "cert-manager.io/certificate-name": t.SecretName}},
			Type: corev1.SecretTypeTLS,
			Data: map[string][]byte{"tls.crt": certPEM, "tls.key": keyPEM,
				"ca.crt": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw})},
		}
		if !exists {
			_, err = secrets.Create(ctx, s, metav1.CreateOptions{})
		} else {
			s.ResourceVersion = cur.ResourceVersion
			_, err = secrets.Update(ctx, s, metav1.UpdateOptions{})
		}
		if err != nil {
			return err
		}
		klog.Infof("issued %s/%s for %v", ing.Namespace, t.SecretName, hosts)
	}
	return is.ensureCertificate(ctx, ing, t.SecretName, hosts, owner, notAfter)
}

// current: the secret holds a leaf for exactly these hosts, from this CA, not yet due for renewal.
func (is *issuer) current(s *corev1.Secret, hosts []string, ca *x509.Certificate) bool {
	block, _ := pem.Decode(s.Data["tls.crt"])
	if block == nil {
		return false
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil || leaf.CheckSignatureFrom(ca) != nil {
		return false
	}
	return slices.Equal(slices.Sorted(slices.Values(leaf.DNSNames)), hosts) && time.Until(leaf.NotAfter) > is.validity-is.renewAfter
}

func leafNotAfter(s *corev1.Secret) time.Time {
	if block, _ := pem.Decode(s.Data["tls.crt"]); block != nil {
		if leaf, err := x509.ParseCertificate(block.Bytes); err == nil {
			return leaf.NotAfter
		}
	}
	return time.Time{}
}

func (is *issuer) sign(hosts []string, ca *x509.Certificate, caKey any) ([]byte, []byte, time.Time, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: hosts[0]}, DNSNames: hosts,
		NotBefore: now.Add(-5 * time.Minute), NotAfter: now.Add(is.validity),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), tmpl.NotAfter, nil
}

// ensureCertificate records the issuance as cert-manager would (a Certificate owned by
// the Ingress, Ready), so `kubectl get certificates` reads the same as in production.
func (is *issuer) ensureCertificate(ctx context.Context, ing *netv1.Ingress, name string, hosts []string, owner []metav1.OwnerReference, notAfter time.Time) error {
	res := is.dyn.Resource(certGVR).Namespace(ing.Namespace)
	ownerObjs := make([]any, 0, len(owner))
	for _, o := range owner {
		ownerObjs = append(ownerObjs, map[string]any{"apiVersion": o.APIVersion, "kind": o.Kind, "name": o.Name,
			"uid": string(o.UID), "controller": true, "blockOwnerDeletion": true})
	}
	dns := make([]any, 0, len(hosts))
	for _, h := range hosts {
		dns = append(dns, h)
	}
	desired := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "cert-manager.io/v1", "kind": "Certificate",
		"metadata": map[string]any{"name": name, "namespace": ing.Namespace, "ownerReferences": ownerObjs},
		"spec": map[string]any{"secretName": name, "dnsNames": dns,
			"issuerRef": map[string]any{"name": is.name, "kind": "ClusterIssuer", "group": "cert-manager.io"}},
	}}
	applied, err := res.Apply(ctx, name, desired, metav1.ApplyOptions{FieldManager: "berth-local-issuer", Force: true})
	if err != nil {
		return err
	}
	status := map[string]any{"notAfter": notAfter.UTC().Format(time.RFC3339), "conditions": []any{map[string]any{
		"type": "Ready", "status": "True", "reason": "Ready", "message": "Certificate is up to date and has not expired",
		"lastTransitionTime": time.Now().UTC().Format(time.RFC3339), "observedGeneration": applied.GetGeneration()}}}
	if cur, _, _ := unstructured.NestedString(applied.Object, "status", "notAfter"); cur == status["notAfter"] {
		return nil
	}
	applied.Object["status"] = status
	_, err = res.UpdateStatus(ctx, applied, metav1.UpdateOptions{FieldManager: "berth-local-issuer"})
	return err
}
