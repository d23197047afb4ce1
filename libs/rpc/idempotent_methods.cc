#include "libs/rpc/idempotent_methods.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace hotline::rpc {

std::vector<std::string> IdempotentMethods(const std::vector<std::string>& proto_files) {
  std::vector<std::string> methods;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const std::string& name : proto_files) {
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    if (file == nullptr) {
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const google::protobuf::MethodDescriptor* method = service->method(m);
        if (method->options().idempotency_level() !=
            google::protobuf::MethodOptions::IDEMPOTENCY_UNKNOWN) {
          methods.push_back(absl::StrCat(service->full_name(), "/", method->name()));
        }
      }
    }
  }
  return methods;
}

const std::vector<std::string>& ApiIdempotentMethods() {
  static const auto* methods = new std::vector<std::string>(
      IdempotentMethods(absl::StrSplit(HOTLINE_PROTO_FILES, ',', absl::SkipEmpty())));
  return *methods;
}

}  // namespace hotline::rpc
