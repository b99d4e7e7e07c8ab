"""What thread counts a reference process really runs with, for the bench tables: every native thread pool
threadpoolctl sees (OpenMP, OpenBLAS, MKL: LightGBM's and scikit-learn's), torch's if it is loaded, and the
environment that steers them."""
import os
import sys


def thread_report():
    report = {name: os.environ.get(name, "unset")
              for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_WAIT_POLICY")}
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            report[f"{pool.get('internal_api')}:{os.path.basename(pool.get('filepath', ''))}"] = pool.get("num_threads")
    except ImportError:
        report["threadpoolctl"] = "not installed"
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        report["torch.get_num_threads"] = torch.get_num_threads()
        report["torch.get_num_interop_threads"] = torch.get_num_interop_threads()
    return report
