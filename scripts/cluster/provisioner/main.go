// Command berth-hostpath-provisioner is a real dynamic volume provisioner for the
// local dev/test cluster. It watches PersistentVolumeClaims whose StorageClass names
// this provisioner, creates a directory under --base-dir for each one and
// publishes a hostPath PersistentVolume pointing at it; when a PV with reclaim
// policy Delete is released, it removes the directory again.
//
// It exists because the local stack has no container runtime: upstream
// local-path-provisioner does its mkdir/rm through helper pods, which kwok can only
// pretend to run. This process does the filesystem work itself, on the host that
// runs the stack (which is the "node" every kwok node stands for).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	v1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/klog/v2"
	"sigs.k8s.io/sig-storage-lib-external-provisioner/v13/controller"
)

const annBaseDir = "berth.io/hostpath-base-dir"

type hostPathProvisioner struct {
	baseDir string
}

var _ controller.Provisioner = &hostPathProvisioner{}

func (p *hostPathProvisioner) Provision(ctx context.Context, opts controller.ProvisionOptions) (*v1.PersistentVolume, controller.ProvisioningState, error) {
	pvc := opts.PVC
	if pvc.Spec.Selector != nil {
		return nil, controller.ProvisioningFinished, errors.New("claim Selector is not supported")
	}
	if pvc.Spec.VolumeMode != nil && *pvc.Spec.VolumeMode == v1.PersistentVolumeBlock {
		return nil, controller.ProvisioningFinished, errors.New("block volumes are not supported")
	}
	size, ok := pvc.Spec.Resources.Requests[v1.ResourceStorage]
	if !ok {
		return nil, controller.ProvisioningFinished, errors.New("claim has no storage request")
	}
	dir := filepath.Join(p.baseDir, fmt.Sprintf("%s_%s_%s", pvc.Namespace, pvc.Name, opts.PVName))
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, controller.ProvisioningInBackground, fmt.Errorf("create %s: %w", dir, err)
	}
	// World-writable like local-path-provisioner, so non-root pods can write.
	if err := os.Chmod(dir, 0o777); err != nil {
		return nil, controller.ProvisioningInBackground, fmt.Errorf("chmod %s: %w", dir, err)
	}

	reclaim := v1.PersistentVolumeReclaimDelete
	if opts.StorageClass.ReclaimPolicy != nil {
		reclaim = *opts.StorageClass.ReclaimPolicy
	}
	hostPathType := v1.HostPathDirectoryOrCreate
	pv := &v1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        opts.PVName,
			Annotations: map[string]string{annBaseDir: p.baseDir},
		},
		Spec: v1.PersistentVolumeSpec{
			PersistentVolumeReclaimPolicy: reclaim,
			AccessModes:                   pvc.Spec.AccessModes,
			MountOptions:                  opts.StorageClass.MountOptions,
			Capacity:                      v1.ResourceList{v1.ResourceStorage: size},
			PersistentVolumeSource: v1.PersistentVolumeSource{
				HostPath: &v1.HostPathVolumeSource{Path: dir, Type: &hostPathType},
			},
		},
	}
	if opts.SelectedNodeName != "" {
		pv.Spec.NodeAffinity = &v1.VolumeNodeAffinity{Required: &v1.NodeSelector{
			NodeSelectorTerms: []v1.NodeSelectorTerm{{MatchExpressions: []v1.NodeSelectorRequirement{{
				Key: "kubernetes.io/hostname", Operator: v1.NodeSelectorOpIn, Values: []string{opts.SelectedNodeName},
			}}}},
		}}
	}
	klog.InfoS("provisioned", "pv", opts.PVName, "claim", klog.KObj(pvc), "path", dir, "size", size.String())
	return pv, controller.ProvisioningFinished, nil
}

func (p *hostPathProvisioner) Delete(ctx context.Context, pv *v1.PersistentVolume) error {
	if pv.Spec.HostPath == nil {
		return errors.New("not a hostPath volume")
	}
	dir := filepath.Clean(pv.Spec.HostPath.Path)
	base := filepath.Clean(p.baseDir)
	if pv.Annotations[annBaseDir] != "" && filepath.Clean(pv.Annotations[annBaseDir]) != base {
		// Provisioned by another instance with a different data dir: not ours to remove.
		return &controller.IgnoredError{Reason: "volume belongs to base dir " + pv.Annotations[annBaseDir]}
	}
	if !strings.HasPrefix(dir, base+string(os.PathSeparator)) || filepath.Dir(dir) != base {
		return fmt.Errorf("refusing to delete %s: not directly under %s", dir, base)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove %s: %w", dir, err)
	}
	klog.InfoS("deleted", "pv", pv.Name, "path", dir)
	return nil
}

func main() {
	klog.InitFlags(nil)
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig of the API server (required)")
	name := flag.String("provisioner-name", "berth.io/hostpath", "provisioner name that StorageClasses refer to")
	baseDir := flag.String("base-dir", "", "directory under which volume directories are created (required)")
	flag.Parse()
	if *kubeconfig == "" || *baseDir == "" {
		fmt.Fprintln(os.Stderr, "--kubeconfig and --base-dir are required")
		os.Exit(2)
	}
	abs, err := filepath.Abs(*baseDir)
	if err != nil {
		klog.Fatal(err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		klog.Fatal(err)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		klog.Fatal(err)
	}
	cfg.UserAgent = "berth-hostpath-provisioner"
	client, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		klog.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	pc := controller.NewProvisionController(ctx, client, *name, &hostPathProvisioner{baseDir: abs},
		controller.LeaderElection(false),
		controller.Threadiness(4),
		controller.FailedProvisionThreshold(0),
		controller.FailedDeleteThreshold(0),
		controller.MetricsPort(0),
	)
	klog.InfoS("starting", "provisioner", *name, "baseDir", abs)
	pc.Run(ctx)
}
